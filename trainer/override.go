package trainer

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// ConfigKey is one leaf of the configuration, named by its dotted YAML path
// ("train.epochs", "model.residual").
type ConfigKey struct {
	Key  string
	Kind reflect.Kind
}

// Keys lists every leaf key of Config in declaration order; the CLI turns each into a flag.
func Keys() []ConfigKey {
	var keys []ConfigKey
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := yamlName(f)
			if name == "" {
				continue
			}
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, prefix+name+".")
				continue
			}
			keys = append(keys, ConfigKey{Key: prefix + name, Kind: f.Type.Kind()})
		}
	}
	walk(reflect.TypeOf(Config{}), "")
	return keys
}

// Set overrides one key with a value written as in YAML ("3", "false", "1e-4"), then
// re-validates the whole config. An unknown key or a value of the wrong type is an error
// that names the key.
func (c *Config) Set(key, value string) error {
	field, err := lookup(reflect.ValueOf(c).Elem(), key)
	if err != nil {
		return err
	}
	next := reflect.New(field.Type())
	next.Elem().Set(field)
	if err := yaml.Unmarshal([]byte(value), next.Interface()); err != nil {
		return fmt.Errorf("%w: %s: cannot use %q as %s", ErrConfig, key, value, field.Kind())
	}
	field.Set(next.Elem())
	return c.Validate()
}

// Get returns a key's value as YAML would write it.
func (c Config) Get(key string) (string, error) {
	field, err := lookup(reflect.ValueOf(&c).Elem(), key)
	if err != nil {
		return "", err
	}
	out, err := yaml.Marshal(field.Interface())
	if err != nil {
		return "", fmt.Errorf("config: %s: %w", key, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func lookup(v reflect.Value, key string) (reflect.Value, error) {
	parts := strings.Split(key, ".")
	for i, part := range parts {
		found := false
		for j := 0; j < v.NumField(); j++ {
			if yamlName(v.Type().Field(j)) == part {
				v = v.Field(j)
				found = true
				break
			}
		}
		leaf := i == len(parts)-1
		if !found || (leaf && v.Kind() == reflect.Struct) || (!leaf && v.Kind() != reflect.Struct) {
			return reflect.Value{}, fmt.Errorf("%w: unknown key %q", ErrConfig, key)
		}
	}
	return v, nil
}

func yamlName(f reflect.StructField) string {
	tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
	if tag == "-" || !f.IsExported() {
		return ""
	}
	if tag == "" {
		return strings.ToLower(f.Name)
	}
	return tag
}
