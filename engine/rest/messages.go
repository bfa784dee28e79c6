package rest

// The JSON bodies, with Flink's field names (flink-runtime's rest messages).
// Struct field order fixes the order of the JSON fields.

// errorBody is Flink's ErrorResponseBody.
type errorBody struct {
	Errors []string `json:"errors"`
}

// overview is Flink's ClusterOverviewWithVersion: one task manager (this
// process) with a slot per running job.
type overview struct {
	TaskManagers   int    `json:"taskmanagers"`
	SlotsTotal     int    `json:"slots-total"`
	SlotsAvailable int    `json:"slots-available"`
	JobsRunning    int    `json:"jobs-running"`
	JobsFinished   int    `json:"jobs-finished"`
	JobsCancelled  int    `json:"jobs-cancelled"`
	JobsFailed     int    `json:"jobs-failed"`
	FlinkVersion   string `json:"flink-version"`
	FlinkCommit    string `json:"flink-commit"`
}

// dashboardConfig is Flink's DashboardConfiguration.
type dashboardConfig struct {
	RefreshInterval int64             `json:"refresh-interval"`
	TimezoneName    string            `json:"timezone-name"`
	TimezoneOffset  int64             `json:"timezone-offset"`
	FlinkVersion    string            `json:"flink-version"`
	FlinkRevision   string            `json:"flink-revision"`
	Features        dashboardFeatures `json:"features"`
}

type dashboardFeatures struct {
	WebSubmit  bool `json:"web-submit"`
	WebCancel  bool `json:"web-cancel"`
	WebRescale bool `json:"web-rescale"`
	WebHistory bool `json:"web-history"`
}

// jobIDs is Flink's JobIdsWithStatusOverview.
type jobIDs struct {
	Jobs []jobIDStatus `json:"jobs"`
}

type jobIDStatus struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// multipleJobs is Flink's MultipleJobsDetails.
type multipleJobs struct {
	Jobs []jobDetails `json:"jobs"`
}

// jobDetails is Flink's JobDetails: one line of the jobs overview.
type jobDetails struct {
	JID              string         `json:"jid"`
	Name             string         `json:"name"`
	StartTime        int64          `json:"start-time"`
	EndTime          int64          `json:"end-time"`
	Duration         int64          `json:"duration"`
	State            string         `json:"state"`
	JobType          string         `json:"jobType"`
	LastModification int64          `json:"last-modification"`
	Tasks            map[string]int `json:"tasks"`
	// PendingOperators counts operators waiting for resources (Flink 2's
	// adaptive scheduler); the engine starts every operator at once.
	PendingOperators int `json:"pending-operators"`
}

// jobDetailsInfo is Flink's JobDetailsInfo (without the plan).
type jobDetailsInfo struct {
	JID            string           `json:"jid"`
	Name           string           `json:"name"`
	IsStoppable    bool             `json:"isStoppable"`
	State          string           `json:"state"`
	JobType        string           `json:"job-type"`
	StartTime      int64            `json:"start-time"`
	EndTime        int64            `json:"end-time"`
	Duration       int64            `json:"duration"`
	MaxParallelism int              `json:"maxParallelism"`
	Now            int64            `json:"now"`
	Timestamps     map[string]int64 `json:"timestamps"`
	Vertices       []vertexInfo     `json:"vertices"`
	StatusCounts   map[string]int   `json:"status-counts"`
	// PendingOperators: see jobDetails.
	PendingOperators int `json:"pending-operators"`
}

// vertexInfo is Flink's JobVertexDetailsInfo; here one per operator.
type vertexInfo struct {
	ID             string         `json:"id"`
	Name           string         `json:"name"`
	MaxParallelism int            `json:"maxParallelism"`
	Parallelism    int            `json:"parallelism"`
	Status         string         `json:"status"`
	StartTime      int64          `json:"start-time"`
	EndTime        int64          `json:"end-time"`
	Duration       int64          `json:"duration"`
	Tasks          map[string]int `json:"tasks"`
	Metrics        vertexMetrics  `json:"metrics"`
}

// vertexMetrics is the record part of Flink's IOMetricsInfo.
type vertexMetrics struct {
	ReadRecords          int64 `json:"read-records"`
	ReadRecordsComplete  bool  `json:"read-records-complete"`
	WriteRecords         int64 `json:"write-records"`
	WriteRecordsComplete bool  `json:"write-records-complete"`
}

// savepointTriggerBody is Flink's SavepointTriggerRequestBody.
type savepointTriggerBody struct {
	TargetDirectory *string `json:"target-directory"`
	CancelJob       bool    `json:"cancel-job"`
	FormatType      string  `json:"formatType"`
	TriggerID       string  `json:"triggerId"`
}

// stopBody is Flink's StopWithSavepointRequestBody.
type stopBody struct {
	TargetDirectory *string `json:"targetDirectory"`
	Drain           bool    `json:"drain"`
	FormatType      string  `json:"formatType"`
	TriggerID       string  `json:"triggerId"`
}

// triggerResponse is Flink's TriggerResponse.
type triggerResponse struct {
	RequestID string `json:"request-id"`
}

// operationResult is Flink's AsynchronousOperationResult of a savepoint.
type operationResult struct {
	Status    queueStatus    `json:"status"`
	Operation *savepointInfo `json:"operation"`
}

type queueStatus struct {
	ID string `json:"id"` // IN_PROGRESS or COMPLETED
}

// savepointInfo is Flink's SavepointInfo: a location or a failure cause.
type savepointInfo struct {
	Location     string        `json:"location,omitempty"`
	FailureCause *failureCause `json:"failure-cause,omitempty"`
}

// failureCause is the JSON of Flink's SerializedThrowable, without the
// serialized Java exception.
type failureCause struct {
	Class      string `json:"class"`
	StackTrace string `json:"stack-trace"`
}

// checkpointingStatistics is Flink's CheckpointingStatistics without the
// summary (the engine keeps counts and the latest checkpoint only) and with
// an empty history.
type checkpointingStatistics struct {
	Counts  checkpointCounts  `json:"counts"`
	Latest  latestCheckpoints `json:"latest"`
	History []struct{}        `json:"history"`
}

type checkpointCounts struct {
	Restored   int64 `json:"restored"`
	Total      int64 `json:"total"`
	InProgress int64 `json:"in_progress"`
	Completed  int64 `json:"completed"`
	Failed     int64 `json:"failed"`
}

type latestCheckpoints struct {
	Completed *completedCheckpoint `json:"completed"`
	Savepoint *completedCheckpoint `json:"savepoint"`
	Failed    *struct{}            `json:"failed"`
	Restored  *struct{}            `json:"restored"`
}

// completedCheckpoint is Flink's CompletedCheckpointStatistics, the fields
// the engine knows.
type completedCheckpoint struct {
	ClassName               string `json:"className"`
	ID                      int64  `json:"id"`
	Status                  string `json:"status"`
	IsSavepoint             bool   `json:"is_savepoint"`
	CheckpointedSize        int64  `json:"checkpointed_size"`
	StateSize               int64  `json:"state_size"`
	EndToEndDuration        int64  `json:"end_to_end_duration"`
	NumSubtasks             int    `json:"num_subtasks"`
	NumAcknowledgedSubtasks int    `json:"num_acknowledged_subtasks"`
	CheckpointType          string `json:"checkpoint_type"`
	ExternalPath            string `json:"external_path"`
	Discarded               bool   `json:"discarded"`
}
