package pybridge

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestSplitPath(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"\x1f", []string{""}},
		{"/a\x1f", []string{"/a"}},
		{"\x1f/a\x1f/b c\x1f", []string{"", "/a", "/b c"}},
		{"/a\x1f/b", []string{"/a", "/b"}},
		{"/a\x1f\x1f", []string{"/a", ""}},
	}
	for _, c := range cases {
		if got := splitPath(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitPath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// panicky mimics a bridge function whose engine call panics.
func panicky() (err error) {
	defer recoverInto("Panicky", &err)
	var m map[string]int
	m["boom"] = 1 // assignment to a nil map panics
	return nil
}

func TestRecoverIntoTurnsPanicIntoError(t *testing.T) {
	err := panicky()
	if err == nil {
		t.Fatal("panic was not turned into an error")
	}
	msg := err.Error()
	for _, want := range []string{"pybridge.Panicky", "engine panic", "nil map"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

func TestNonEmpty(t *testing.T) {
	if _, err := nonEmpty("Poll", nil, nil); err == nil || !strings.Contains(err.Error(), "empty result") {
		t.Errorf("nil result: err = %v, want an empty-result error", err)
	}
	if _, err := nonEmpty("Poll", []byte{}, nil); err == nil {
		t.Error("zero-length result was let through")
	}
	cause := errors.New("no such job 7")
	if _, err := nonEmpty("Poll", []byte{0x80}, cause); !errors.Is(err, cause) || !strings.HasPrefix(err.Error(), "pybridge.Poll: ") {
		t.Errorf("engine error not wrapped with context: %v", err)
	}
	b, err := nonEmpty("Poll", []byte{0x80}, nil)
	if err != nil || len(b) != 1 {
		t.Errorf("non-empty result: got %v, %v", b, err)
	}
}

func TestEmptyPlansAreRejected(t *testing.T) {
	if _, err := Submit(nil); err == nil || !strings.Contains(err.Error(), "empty plan") {
		t.Errorf("Submit(nil): err = %v", err)
	}
	if _, err := ExecutionPlan([]byte{}); err == nil || !strings.Contains(err.Error(), "empty plan") {
		t.Errorf("ExecutionPlan(empty): err = %v", err)
	}
}

func TestMalformedPlanIsAnError(t *testing.T) {
	// 0xc1 is a msgpack byte that never occurs in valid data.
	if _, err := Submit([]byte{0xc1}); err == nil {
		t.Error("Submit accepted a malformed plan")
	}
	if _, err := ExecutionPlan([]byte{0xc1}); err == nil {
		t.Error("ExecutionPlan accepted a malformed plan")
	}
}

func TestPollUnknownJobIsAnError(t *testing.T) {
	b, err := Poll(1<<40, 0)
	if err == nil {
		t.Fatalf("Poll of an unknown job returned %x and no error", b)
	}
	if !strings.HasPrefix(err.Error(), "pybridge.Poll: ") {
		t.Errorf("error lacks context: %v", err)
	}
}

func TestPrestartValidatesArguments(t *testing.T) {
	if err := Prestart("", "/a\x1f", 1); err == nil {
		t.Error("Prestart accepted an empty interpreter")
	}
	if err := Prestart("python3", "", -1); err == nil {
		t.Error("Prestart accepted a negative worker count")
	}
}

func TestVersion(t *testing.T) {
	if v := Version(); !strings.HasPrefix(v, "pyflink-go ") {
		t.Errorf("Version() = %q", v)
	}
}
