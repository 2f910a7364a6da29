package portsecret

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strings"
)

// The run and properties vectors compare JSON values with key order: expected holds
// 12345678901234567890123, 1e16, 1e-05, 0.1 and -0.0, which the library writes as the body
// spells them (serde_json, arbitrary precision) and the vector file as Python does. So: an
// ordered tree, numbers compared as exact rationals (as vectors_to_tsv.py compares them with
// Decimal), strings exactly, object keys in order.

type member struct {
	key   string
	value any
}

type object []member

// parseOrdered reads one JSON value; objects keep their key order, numbers are json.Number.
func parseOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			var obj object
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				obj = append(obj, member{k.(string), v})
			}
			_, err := dec.Token()
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := readValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return tok, nil
	}
}

// jsonDiff describes the first difference between two ordered values ("" when equal).
func jsonDiff(path string, got, want any) string {
	switch w := want.(type) {
	case object:
		g, ok := got.(object)
		if !ok {
			return path + ": got " + typeName(got) + ", want object"
		}
		if len(g) != len(w) {
			return fmt.Sprintf("%s: got %d keys, want %d", path, len(g), len(w))
		}
		for i := range w {
			if g[i].key != w[i].key {
				return fmt.Sprintf("%s: key %d is %q, want %q (order)", path, i, g[i].key, w[i].key)
			}
			if d := jsonDiff(path+"/"+w[i].key, g[i].value, w[i].value); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok {
			return path + ": got " + typeName(got) + ", want array"
		}
		if len(g) != len(w) {
			return fmt.Sprintf("%s: got %d elements, want %d", path, len(g), len(w))
		}
		for i := range w {
			if d := jsonDiff(fmt.Sprintf("%s/%d", path, i), g[i], w[i]); d != "" {
				return d
			}
		}
		return ""
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return path + ": got " + typeName(got) + ", want number"
		}
		gr, ok1 := new(big.Rat).SetString(string(g))
		wr, ok2 := new(big.Rat).SetString(string(w))
		if !ok1 || !ok2 || gr.Cmp(wr) != 0 {
			return fmt.Sprintf("%s: number %s, want %s", path, g, w)
		}
		return ""
	default:
		if got != want {
			return path + ": a different " + typeName(want) // never print values: they may be plaintexts of real tests
		}
		return ""
	}
}

func typeName(v any) string {
	switch v.(type) {
	case object:
		return "object"
	case []any:
		return "array"
	case json.Number:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", v), "portsecret.")
}

// sameJSON compares two JSON texts as ordered values.
func sameJSON(got, want []byte) string {
	g, err := parseOrdered(got)
	if err != nil {
		return "output is not JSON: " + err.Error()
	}
	w, err := parseOrdered(want)
	if err != nil {
		return "expected is not JSON: " + err.Error()
	}
	return jsonDiff("", g, w)
}
