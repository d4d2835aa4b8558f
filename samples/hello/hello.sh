#!/bin/sh
echo "$GREETING on $(cat /arch)"
