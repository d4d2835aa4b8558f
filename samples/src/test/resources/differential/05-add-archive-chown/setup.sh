mkdir -p tree/inner && echo a > tree/inner/a && ln -s inner/a tree/link && chmod 0750 tree/inner
tar --owner=7 --group=8 --numeric-owner -czf a.tgz -C tree .
tar --owner=9 --group=10 --numeric-owner -cf b.tar -C tree .
rm -rf tree
