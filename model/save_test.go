package model

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveLoadReproducesLogitsBitForBit(t *testing.T) {
	for _, dtype := range []string{DTypeFloat32, DTypeFloat64} {
		t.Run(dtype, func(t *testing.T) {
			cfg := smallConfig()
			cfg.DType = dtype
			p, err := NewParams(cfg, 41)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "weights.npz")
			if err := p.Save(path); err != nil {
				t.Fatal(err)
			}
			q, err := LoadParams(path, cfg)
			if err != nil {
				t.Fatal(err)
			}

			want, got := smallLogits(t, p), smallLogits(t, q)
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("logit %d: loaded %v, saved %v", i, got[i], want[i])
				}
			}
			for i, pt := range p.Tensors() {
				qt := q.Tensors()[i]
				if q.Names()[i] != p.Names()[i] || !qt.Shape().Eq(pt.Shape()) ||
					qt.Dtype() != pt.Dtype() {
					t.Errorf("parameter %d: loaded %s %v %v, saved %s %v %v", i,
						q.Names()[i], qt.Shape(), qt.Dtype(), p.Names()[i], pt.Shape(), pt.Dtype())
				}
			}
		})
	}
}

// smallLogits runs smallIDs through an evaluation net of p.
func smallLogits(t *testing.T, p *Params) []float64 {
	t.Helper()
	net, err := NewNet(p, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetBatch(smallIDs, nil, 3); err != nil {
		t.Fatal(err)
	}
	if err := net.Run(); err != nil {
		t.Fatal(err)
	}
	return net.Logits()
}

func TestSaveWritesNumpyArrays(t *testing.T) {
	// Reads the archive with archive/zip and a hand-written .npy header
	// parser, as numpy.load would, rather than through npyio.
	cfg := smallConfig()
	cfg.DType = DTypeFloat32
	p, err := NewParams(cfg, 42)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "weights.npz")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()

	if len(zr.File) != len(p.Names()) {
		t.Fatalf("archive holds %d arrays, want %d", len(zr.File), len(p.Names()))
	}
	for i, f := range zr.File {
		name := p.Names()[i]
		if f.Name != name+".npy" {
			t.Errorf("entry %d is %q, want %q", i, f.Name, name+".npy")
			continue
		}
		header, data := readNpy(t, f)
		shape := p.Tensors()[i].Shape()
		wantShape := fmt.Sprintf("(%d,)", shape[0])
		if len(shape) == 2 {
			wantShape = fmt.Sprintf("(%d, %d)", shape[0], shape[1])
		}
		for _, want := range []string{"'descr': '<f4'", "'fortran_order': False",
			"'shape': " + wantShape} {
			if !strings.Contains(header, want) {
				t.Errorf("%s: header %q lacks %q", name, header, want)
			}
		}
		vals := p.Tensors()[i].Data().([]float32)
		if len(data) != 4*len(vals) {
			t.Fatalf("%s: %d data bytes, want %d", name, len(data), 4*len(vals))
		}
		for j, v := range vals {
			if bits := binary.LittleEndian.Uint32(data[4*j:]); bits != mathFloat32bits(v) {
				t.Fatalf("%s[%d]: stored bits %#x, want %#x", name, j, bits, mathFloat32bits(v))
			}
		}
	}
}

// readNpy splits an .npy entry into its header dictionary and data bytes
// (format versions 1 and 2: magic, version, header length, header).
func readNpy(t *testing.T, f *zip.File) (string, []byte) {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	raw, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("\x93NUMPY")) {
		t.Fatalf("%s: no .npy magic", f.Name)
	}
	var hlen, start int
	switch raw[6] {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(raw[8:])), 10
	case 2, 3:
		hlen, start = int(binary.LittleEndian.Uint32(raw[8:])), 12
	default:
		t.Fatalf("%s: .npy version %d", f.Name, raw[6])
	}
	// numpy writes headers padded to a multiple of 64 bytes but reads any
	// length; npyio pads to no fixed multiple, so alignment is not checked.
	return string(raw[start : start+hlen]), raw[start+hlen:]
}

func TestLoadReportsDifferences(t *testing.T) {
	base := smallConfig()
	path := filepath.Join(t.TempDir(), "weights.npz")
	p, err := NewParams(base, 43)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		modify func(*Config)
		want   []string
	}{
		{"vocabulary", func(c *Config) { c.VocabSize = 9 },
			[]string{"embedding/embeddings has shape [7 3], want [9 3]"}},
		{"hidden units", func(c *Config) { c.DenseUnits = 6 },
			[]string{"dense/kernel has shape [3 5], want [3 6]",
				"dense/bias has shape [5], want [6]", "dense_1/kernel has shape [5 1], want [6 1]"}},
		{"dtype", func(c *Config) { c.DType = DTypeFloat32 },
			[]string{"embedding/embeddings has dtype <f8, want <f4", "dense_1/bias has dtype <f8"}},
		{"layer norm off", func(c *Config) { c.LayerNorm = false },
			[]string{"layer_normalization/beta is not a parameter",
				"layer_normalization/gamma is not a parameter"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			tc.modify(&cfg)
			_, err := LoadParams(path, cfg)
			if err == nil {
				t.Fatal("loaded weights that do not match the config")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}

	t.Run("missing parameters", func(t *testing.T) {
		noLN := base
		noLN.LayerNorm = false
		q, err := NewParams(noLN, 44)
		if err != nil {
			t.Fatal(err)
		}
		other := filepath.Join(t.TempDir(), "no-ln.npz")
		if err := q.Save(other); err != nil {
			t.Fatal(err)
		}
		_, err = LoadParams(other, base)
		if err == nil || !strings.Contains(err.Error(), "layer_normalization/gamma is missing") {
			t.Errorf("got error %v, want one naming the missing gamma", err)
		}
	})
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	notZip := filepath.Join(dir, "not.npz")
	if err := os.WriteFile(notZip, []byte("not a zip archive"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := smallConfig()
	bad.EmbedDim = 0
	tests := []struct {
		name string
		path string
		cfg  Config
		want string
	}{
		{"absent file", filepath.Join(dir, "absent.npz"), smallConfig(), "absent.npz"},
		{"not an archive", notZip, smallConfig(), "not.npz"},
		{"invalid config", notZip, bad, "embed_dim"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadParams(tc.path, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

func TestSaveIsAtomic(t *testing.T) {
	dir := t.TempDir()
	p, err := NewParams(smallConfig(), 45)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "weights.npz")
	for i := 0; i < 2; i++ { // the second save replaces the first
		if err := p.Save(path); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "weights.npz" {
		t.Errorf("directory holds %v, want only weights.npz", entries)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("weights file mode %v (%v), want -rw-r--r--", info.Mode(), err)
	}
	if err := p.Save(filepath.Join(dir, "absent", "weights.npz")); err == nil {
		t.Error("saved into a directory that does not exist")
	}
}

// mathFloat32bits is math.Float32bits, named for the test's reading.
func mathFloat32bits(v float32) uint32 { return math.Float32bits(v) }
