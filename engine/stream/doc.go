// Package stream is the Go API of the engine: jobs written with Go functions
// (source → map → key by → reduce → sink) that run on the same runtime as
// PyFlink programs, with no Python involved. It exists so the native core can
// be used and benchmarked directly.
//
//	env := stream.NewEnvironment(stream.WithParallelism(2))
//	words := stream.FlatMap(stream.FromSlice(env, lines), splitWords)
//	counts := stream.Reduce(stream.KeyBy(stream.Map(words, one), word), add)
//	out := stream.Collect(counts)
//	err := env.Execute(ctx, "word count")
package stream
