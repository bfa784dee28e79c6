package pybridge

import (
	"fmt"

	"github.com/pyflink-go/pyflink-go/engine/local"
)

// ExecutionPlan returns Flink's execution-plan JSON (what
// env.get_execution_plan() prints) for a msgpack job plan, without running it.
func ExecutionPlan(plan []byte) (out []byte, err error) {
	defer recoverInto("ExecutionPlan", &err)
	if len(plan) == 0 {
		return nil, fmt.Errorf("pybridge.ExecutionPlan: empty plan")
	}
	b, err := local.ExecutionPlanJSON(plan)
	return nonEmpty("ExecutionPlan", b, err)
}
