// The web service of the seed's compose file: `npm start` runs this express app on the port
// the Dockerfile EXPOSEs (3000; PORT overrides it).
const express = require('express');
const os = require('os');

const app = express();
const port = Number(process.env.PORT || 3000);

app.get('/', (req, res) => {
  res.type('text/plain').send(`node-web on ${os.arch()}: express ${require('express/package.json').version}\n`);
});
app.get('/health', (req, res) => res.json({ status: 'ok' }));

app.listen(port, () => console.log(`listening on ${port}`));
