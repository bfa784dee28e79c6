package window

import (
	"fmt"
	"math"
	"math/big"

	"github.com/pyflink-go/pyflink-go/engine/value"
)

// Python number semantics for the native field reduce.
//
// Decoded Python ints are int64, uint64 (above MaxInt64) or value.BigInt
// (beyond both); floats are float64. Integer arithmetic is exact, leaving
// int64 only when the result does: a result is always in the smallest of
// the three forms that holds it, as the Python side encodes an int. A float
// and an int combine as Python combines them: the int becomes the nearest
// float for +, and comparisons are exact.

// addInt64 returns a + b and true, or false when the sum overflows int64.
func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
		return 0, false
	}
	return s, true
}

// addNumbers returns x + y as Python computes it.
func addNumbers(x, y any) (any, error) {
	if a, ok := x.(int64); ok {
		if b, ok := y.(int64); ok {
			if s, ok := addInt64(a, b); ok {
				return s, nil
			}
			return normalInt(new(big.Int).Add(big.NewInt(a), big.NewInt(b))), nil
		}
	}
	if a, ok := x.(float64); ok {
		if b, ok := y.(float64); ok {
			return a + b, nil
		}
	}
	xf, xIsFloat := x.(float64)
	yf, yIsFloat := y.(float64)
	switch {
	case xIsFloat && !yIsFloat:
		b, err := intToFloat(y)
		return xf + b, err
	case yIsFloat && !xIsFloat:
		a, err := intToFloat(x)
		return a + yf, err
	}
	a, err := bigInt(x)
	if err != nil {
		return nil, err
	}
	b, err := bigInt(y)
	if err != nil {
		return nil, err
	}
	return normalInt(a.Add(a, b)), nil
}

// numberLess reports whether x < y as Python compares numbers (false when
// either is NaN).
func numberLess(x, y any) (bool, error) {
	if a, ok := x.(int64); ok {
		if b, ok := y.(int64); ok {
			return a < b, nil
		}
	}
	if a, ok := x.(float64); ok {
		if b, ok := y.(float64); ok {
			return a < b, nil
		}
	}
	a, err := bigNumber(x)
	if err != nil {
		return false, err
	}
	b, err := bigNumber(y)
	if err != nil || a == nil || b == nil { // NaN compares false
		return false, err
	}
	return a.Cmp(b) < 0, nil
}

// bigInt returns an integer value as a big.Int.
func bigInt(v any) (*big.Int, error) {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x), nil
	case uint64:
		return new(big.Int).SetUint64(x), nil
	case value.BigInt:
		b, ok := new(big.Int).SetString(string(x), 10)
		if !ok {
			return nil, fmt.Errorf("malformed integer %q", string(x))
		}
		return b, nil
	}
	return nil, notNumber(v)
}

// bigNumber returns a number exactly as a big.Float (nil for NaN).
func bigNumber(v any) (*big.Float, error) {
	if f, ok := v.(float64); ok {
		if math.IsNaN(f) {
			return nil, nil
		}
		return new(big.Float).SetFloat64(f), nil
	}
	i, err := bigInt(v)
	if err != nil {
		return nil, err
	}
	return new(big.Float).SetInt(i), nil
}

// intToFloat converts an int to the nearest float, as Python's float(int);
// like Python it fails for an int beyond the float range.
func intToFloat(v any) (float64, error) {
	switch x := v.(type) {
	case int64:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	}
	i, err := bigInt(v)
	if err != nil {
		return 0, err
	}
	f, _ := new(big.Float).SetInt(i).Float64()
	if math.IsInf(f, 0) {
		return 0, fmt.Errorf("int too large to convert to float")
	}
	return f, nil
}

// normalInt returns i in the form the Python side would encode it in.
func normalInt(i *big.Int) any {
	if i.IsInt64() {
		return i.Int64()
	}
	if i.IsUint64() {
		return i.Uint64()
	}
	return value.BigInt(i.String())
}

func notNumber(v any) error {
	if v == nil {
		return fmt.Errorf("None is not a number")
	}
	return fmt.Errorf("%s (%T) is not a number", show(v), v)
}
