printf 'not really a tar' > fake.tar.gz
chmod 0600 plain.txt
chmod 0711 dir/nested
