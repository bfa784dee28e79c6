//go:build !unix

package udf

import "os/exec"

// detach does nothing where process groups do not exist.
func detach(cmd *exec.Cmd) {}
