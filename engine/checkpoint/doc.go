// Package checkpoint owns the decisions of aligned barrier checkpointing.
package checkpoint
