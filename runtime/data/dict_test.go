package data

import "testing"

// Dicts from one arena share chunks but never each other's members, however they grow.
func TestDictArenaKeepsDictsApart(t *testing.T) {
	var a DictArena
	var ds []*Dict
	for i := 0; i < 100; i++ {
		ds = append(ds, a.New(1+i%5))
	}
	for round := 0; round < 30; round++ {
		for i, d := range ds {
			if round%7 == 3 && d.Len() > 0 {
				d.Delete(d.Keys()[0])
			}
			d.Set(string(rune('a'+round%26))+string(rune('A'+i%26))+itoa(round), i)
		}
	}
	for i, d := range ds {
		for _, k := range d.Keys() {
			if v, _ := d.Get(k); v != i {
				t.Fatalf("dict %d holds %q = %v from another dict", i, k, v)
			}
		}
	}
	if big := a.New(40); big.Len() != 0 {
		t.Fatal("a new dict is not empty")
	}
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }
