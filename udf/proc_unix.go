//go:build unix

package udf

import (
	"os/exec"
	"syscall"
)

// detach puts the worker in its own process group, so a Ctrl-C meant for the
// engine's terminal does not also hit the workers (they stop when the pool
// closes their stdin).
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
