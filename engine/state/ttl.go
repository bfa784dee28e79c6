package state

import (
	"encoding/binary"
	"fmt"
)

// UpdateType says when a TTL state refreshes an entry's last-access time
// (StateTtlConfig.UpdateType).
type UpdateType uint8

// The update types. OnCreateAndWrite is the default.
const (
	OnCreateAndWrite UpdateType = iota
	OnReadAndWrite
	// UpdateDisabled turns TTL off.
	UpdateDisabled
)

// Visibility says whether an expired entry that is still stored is returned
// (StateTtlConfig.StateVisibility).
type Visibility uint8

// The visibilities. NeverReturnExpired is the default.
const (
	NeverReturnExpired Visibility = iota
	ReturnExpiredIfNotCleanedUp
)

// TTL is a state's time-to-live in processing time (Flink has no other).
// The zero value disables TTL.
type TTL struct {
	// Millis is the time to live; 0 disables TTL.
	Millis     int64
	Update     UpdateType
	Visibility Visibility
}

// Enabled reports whether entries expire.
func (t TTL) Enabled() bool { return t.Millis > 0 && t.Update != UpdateDisabled }

// expired is TtlUtils.expired: the entry expires ttl after its last access;
// an expiration time past the end of time never comes.
func (t TTL) expired(lastAccess, now int64) bool {
	exp := lastAccess + t.Millis
	if exp < lastAccess {
		return false
	}
	return exp <= now
}

const ttlPrefix = 8

// wrapTTL appends a value with its last-access time.
func wrapTTL(dst []byte, now int64, v []byte) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(now))
	return append(dst, v...)
}

// unwrapTTL splits a wrapped value.
func unwrapTTL(raw []byte) (lastAccess int64, v []byte, err error) {
	if len(raw) < ttlPrefix {
		return 0, nil, fmt.Errorf("state: corrupt TTL value (%d bytes)", len(raw))
	}
	return int64(binary.BigEndian.Uint64(raw)), raw[ttlPrefix:], nil
}
