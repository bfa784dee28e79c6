package rest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Server is a running REST endpoint: an HTTP server on a listener.
type Server struct {
	srv  *http.Server
	addr string
	cfg  Config
}

// Listen binds the first free port of c and serves h on it in the background.
func Listen(c Config, h http.Handler) (*Server, error) {
	var errs []error
	for _, port := range c.Ports {
		ln, err := net.Listen("tcp", net.JoinHostPort(c.Address, strconv.Itoa(port)))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s := &Server{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, addr: ln.Addr().String(), cfg: c}
		go func() { _ = s.srv.Serve(ln) }()
		return s, nil
	}
	if len(errs) == 0 {
		return nil, errors.New("no port to listen on")
	}
	return nil, fmt.Errorf("the REST endpoint cannot listen: %w", errors.Join(errs...))
}

// Addr is the host:port the endpoint listens on (the port chosen when 0 was asked).
func (s *Server) Addr() string { return s.addr }

// Serves reports whether the endpoint was started for configuration c: same
// address and port list.
func (s *Server) Serves(c Config) bool {
	if s.cfg.Address != c.Address || len(s.cfg.Ports) != len(c.Ports) {
		return false
	}
	for i := range c.Ports {
		if c.Ports[i] != s.cfg.Ports[i] {
			return false
		}
	}
	return true
}

// Close stops the endpoint: it stops listening and waits briefly for
// requests in progress.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
