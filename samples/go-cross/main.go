// Prints the platform the binary runs as and the platform its compiler ran on.
package main

import (
	"fmt"
	"runtime"
)

// builtOn is set at link time (-X main.builtOn=$BUILDPLATFORM).
var builtOn = "unknown"

func main() {
	fmt.Printf("whoami: %s/%s, compiled on %s\n", runtime.GOOS, runtime.GOARCH, builtOn)
}
