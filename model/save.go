package model

import (
	"archive/zip"
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"
	"gorgonia.org/tensor"
)

// npyExt ends each array's name inside an .npz, as numpy.savez writes it;
// numpy.load strips it, so the keys are the parameter names.
const npyExt = ".npy"

// weightsFileMode is the permission of a saved weights file.
const weightsFileMode = 0o644

// numpy's type strings for little-endian float32 and float64.
const (
	npyFloat32 = "<f4"
	npyFloat64 = "<f8"
)

// Save writes the parameters to path as an .npz archive, one array per
// parameter under its Keras-like name, with its shape and dtype; numpy
// reads it with numpy.load(path). The file is written beside path and
// renamed into place, so a crash never leaves half a file under path.
func (p *Params) Save(path string) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, base+".tmp*")
	if err != nil {
		return fmt.Errorf("model: save %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()

	// Entries are stored, not deflated, as numpy.savez writes them: float weights barely
	// compress (5.12 MB to 4.74 MB at the base shapes), and inflating them was about two
	// thirds of loading, which predict does at every start. npyio's npz writer always
	// deflates, so the zip is written here and npyio writes each .npy inside it.
	w := zip.NewWriter(f)
	for i, t := range p.tensors {
		entry, err := w.CreateHeader(&zip.FileHeader{Name: p.names[i] + npyExt,
			Method: zip.Store})
		if err != nil {
			return fmt.Errorf("model: save %s: %w", path, err)
		}
		if err = npy.Write(entry, npyValue(t)); err != nil {
			return fmt.Errorf("model: save %s: %w", path, err)
		}
	}
	if err = w.Close(); err != nil {
		return fmt.Errorf("model: save %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("model: save %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("model: save %s: %w", path, err)
	}
	// CreateTemp makes the file private (0600); weights are ordinary data.
	if err = os.Chmod(tmp, weightsFileMode); err != nil {
		return fmt.Errorf("model: save %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("model: save %s: %w", path, err)
	}
	return nil
}

// npyValue returns t's data in a form npyio writes with t's shape: a flat
// slice for a vector, a slice of row slices (sharing t's memory) for a
// matrix.
func npyValue(t *tensor.Dense) any {
	shape := t.Shape()
	switch data := t.Data().(type) {
	case []float32:
		if len(shape) == 2 {
			return rowsOf(data, shape[1])
		}
		return data
	case []float64:
		if len(shape) == 2 {
			return rowsOf(data, shape[1])
		}
		return data
	}
	panic("model: parameter tensors are float32 or float64")
}

// rowsOf cuts data into rows of width cols.
func rowsOf[T float32 | float64](data []T, cols int) [][]T {
	rows := make([][]T, len(data)/cols)
	for i := range rows {
		rows[i] = data[i*cols : (i+1)*cols : (i+1)*cols]
	}
	return rows
}

// LoadParams reads parameters saved by Save for the network cfg. The
// archive must hold exactly cfg's parameters with their shapes and
// cfg's dtype; otherwise the error lists every difference.
func LoadParams(path string, cfg Config) (*Params, error) {
	p, err := newZeroParams(cfg)
	if err != nil {
		return nil, fmt.Errorf("model: load %s: %w", path, err)
	}
	r, err := npz.Open(path)
	if err != nil {
		return nil, fmt.Errorf("model: load %s: %w", path, err)
	}
	defer r.Close()

	keys := map[string]string{} // parameter name -> archive key
	for _, k := range r.Keys() {
		keys[strings.TrimSuffix(k, npyExt)] = k
	}
	if diffs := p.compareArchive(r, keys); len(diffs) > 0 {
		return nil, fmt.Errorf("model: load %s: does not match the config: %s",
			path, strings.Join(diffs, "; "))
	}

	for i, t := range p.tensors {
		if err := readInto(r, keys[p.names[i]], t); err != nil {
			return nil, fmt.Errorf("model: load %s: %s: %w", path, p.names[i], err)
		}
	}
	return p, nil
}

// compareArchive lists how the archive's arrays differ from p's: missing
// or unexpected names, other shapes, other dtypes.
func (p *Params) compareArchive(r *npz.Reader, keys map[string]string) []string {
	var diffs []string
	want := map[string]bool{}
	for i, name := range p.names {
		want[name] = true
		key, ok := keys[name]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s is missing", name))
			continue
		}
		h := r.Header(key)
		if h == nil {
			diffs = append(diffs, fmt.Sprintf("%s is not a readable array", name))
			continue
		}
		if shape, want := h.Descr.Shape, []int(p.tensors[i].Shape()); !slices.Equal(shape, want) {
			diffs = append(diffs, fmt.Sprintf("%s has shape %v, want %v", name, shape, want))
		}
		got := strings.Trim(h.Descr.Type, "'\"") // npyio keeps the header's quotes
		if wantType := npyType(p.tensors[i]); got != wantType {
			diffs = append(diffs, fmt.Sprintf("%s has dtype %s, want %s (%s)",
				name, got, wantType, p.tensors[i].Dtype()))
		}
		if h.Descr.Fortran {
			diffs = append(diffs, fmt.Sprintf("%s is in Fortran order, want C order", name))
		}
	}
	var extra []string
	for name := range keys {
		if !want[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		diffs = append(diffs, fmt.Sprintf("%s is not a parameter of this config", name))
	}
	return diffs
}

// npyType is numpy's type string for t's dtype.
func npyType(t *tensor.Dense) string {
	if t.Dtype() == tensor.Float64 {
		return npyFloat64
	}
	return npyFloat32
}

// readBufferSize is the read buffer between a zip entry and npyio's decoder.
const readBufferSize = 1 << 16

// readInto reads the archive's array key into t, whose shape and dtype
// have been checked.
func readInto(r *npz.Reader, key string, t *tensor.Dense) error {
	rc, err := r.Open(key)
	if err != nil {
		return err
	}
	defer rc.Close()
	// npyio decodes an array one element at a time, each a small read: from the zip entry's
	// inflater directly that is most of a load (about 100 ms for the base embedding); a
	// buffer makes each read a copy.
	in := bufio.NewReaderSize(rc, readBufferSize)
	switch data := t.Data().(type) {
	case []float32:
		var vals []float32
		if err := npy.Read(in, &vals); err != nil {
			return err
		}
		return copyExact(data, vals)
	case []float64:
		var vals []float64
		if err := npy.Read(in, &vals); err != nil {
			return err
		}
		return copyExact(data, vals)
	}
	return fmt.Errorf("unsupported dtype %v", t.Dtype())
}

// copyExact copies src into dst, which must have the same length.
func copyExact[T float32 | float64](dst, src []T) error {
	if len(src) != len(dst) {
		return fmt.Errorf("read %d values, want %d", len(src), len(dst))
	}
	copy(dst, src)
	return nil
}
