// Answers HTTP on 8080 (the seed runs it with `docker run -d -p 8080:8080`), using the
// dependency `npm ci` installed from package-lock.json.
const http = require('http');
const os = require('os');
const ms = require('ms');
const msVersion = require('ms/package.json').version;

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end(`fun-docker on ${os.arch()}: 2 days = ${ms('2 days')} ms (ms ${msVersion})\n`);
});
server.listen(8080, () => console.log('listening on 8080'));
