// The seed's goapp: prints Hello World every 10 seconds, saying which architecture the binary
// was compiled for (the seed's Dockerfile pins GOARCH=amd64 for every target platform).
package main

import (
	"fmt"
	"runtime"
	"time"
)

func main() {
	for {
		fmt.Printf("Hello World (%s/%s)\n", runtime.GOOS, runtime.GOARCH)
		time.Sleep(10 * time.Second)
	}
}
