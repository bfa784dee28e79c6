package pybridge

// version is the bridge's version string; Python reports it as
// pyflink_go._engine_api.version() so an installed build can be identified.
const version = "pyflink-go 0.1.0"

// Version returns the bridge's version string. It is the cheapest call into the
// extension and serves as a smoke test that the native module loads.
func Version() string { return version }
