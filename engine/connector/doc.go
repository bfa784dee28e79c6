// Package connector groups the engine's sources and sinks, one package each.
package connector
