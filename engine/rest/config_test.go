package rest

import (
	"reflect"
	"strings"
	"testing"
)

// TestReadConfig: Flink's keys, their precedence, port ranges and lists, and
// errors naming the key.
func TestReadConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     map[string]string
		want    Config
		ok      bool
		wantErr string
	}{
		{"nothing set: no endpoint", map[string]string{"rest.address": "0.0.0.0"}, Config{}, false, ""},
		{"rest.port", map[string]string{"rest.port": "8082"}, Config{"127.0.0.1", []int{8082}}, true, ""},
		{"any free port", map[string]string{"rest.port": "0"}, Config{"127.0.0.1", []int{0}}, true, ""},
		{"bind-port wins", map[string]string{"rest.port": "8082", "rest.bind-port": "9000-9002"}, Config{"127.0.0.1", []int{9000, 9001, 9002}}, true, ""},
		{"port list", map[string]string{"rest.bind-port": "9000, 9005"}, Config{"127.0.0.1", []int{9000, 9005}}, true, ""},
		{"rest.address", map[string]string{"rest.port": "1", "rest.address": "localhost"}, Config{"localhost", []int{1}}, true, ""},
		{"bind-address wins", map[string]string{"rest.port": "1", "rest.address": "localhost", "rest.bind-address": "0.0.0.0"}, Config{"0.0.0.0", []int{1}}, true, ""},
		{"not a port", map[string]string{"rest.port": "http"}, Config{}, false, `rest.port: "http" is not a port`},
		{"out of range", map[string]string{"rest.bind-port": "70000"}, Config{}, false, `rest.bind-port: "70000" is not a port`},
		{"range down", map[string]string{"rest.bind-port": "9002-9000"}, Config{}, false, `rest.bind-port: port range "9002-9000" must go up`},
		{"range too wide", map[string]string{"rest.bind-port": "1000-60000"}, Config{}, false, "at most 1000 ports"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := ReadConfig(tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadConfig = %+v, %v, %v; want %+v, %v", got, ok, err, tt.want, tt.ok)
			}
		})
	}
}
