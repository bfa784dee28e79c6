// Package rest serves Flink's REST API (the subset a command line needs) over
// the jobs of one engine: the endpoint a local Flink MiniCluster serves, so
// that `pyflink-go list|savepoint|stop|cancel` (python/pyflink_go/cli.py), and
// any client written for Flink's REST API, can reach a job that runs inside a
// Python process.
//
// The paths and JSON shapes are Flink's (flink-runtime's rest messages):
//
//	GET   /overview                          cluster overview (ClusterOverviewWithVersion)
//	GET   /config                            dashboard configuration
//	GET   /jobs                              job ids and states (JobIdsWithStatusOverview)
//	GET   /jobs/overview                     job details (MultipleJobsDetails)
//	GET   /jobs/:jobid                       one job (JobDetailsInfo)
//	PATCH /jobs/:jobid?mode=cancel           cancel: 202 {}
//	POST  /jobs/:jobid/savepoints            {target-directory, cancel-job, formatType, triggerId} → 202 {request-id}
//	POST  /jobs/:jobid/stop                  {targetDirectory, drain, formatType, triggerId} → 202 {request-id}
//	GET   /jobs/:jobid/savepoints/:triggerid {status: {id: IN_PROGRESS|COMPLETED}, operation: {location} | {failure-cause}}
//	GET   /jobs/:jobid/checkpoints           counts and the latest completed checkpoint (CheckpointingStatistics)
//
// Every path is served under /v1 too, the prefix Flink's REST client uses.
// Every error is Flink's error body, {"errors": ["..."]}, with Flink's status
// codes: 400 for a malformed job id or request body, 404 for an unknown job or
// path, 409 for an operation on a job that is no longer running. Request
// bodies are read strictly: an unknown field is a 400, where Flink ignores
// it (a misspelt "target-dir" would otherwise send the savepoint elsewhere).
//
// The package knows nothing of how jobs run: it talks to an [Engine], which
// engine/local implements (engine/local/rest.go) and tests fake. Savepoints are
// asynchronous operations, as in Flink: a trigger returns a request id at once,
// the savepoint is taken in the background and its outcome is kept here, not
// in the job, so a stop-with-savepoint stays readable after its job ended.
package rest
