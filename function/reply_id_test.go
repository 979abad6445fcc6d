package function

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestReplyID: the stack-hashed reply id is the library's UUIDv5 of source and id, also
// for names longer than the stack buffer.
func TestReplyID(t *testing.T) {
	for _, c := range [][2]string{{"", ""}, {"/kafka/hd-execution-topic", "partition:0/offset:1"},
		{"/x", strings.Repeat("long id ", 100)}} {
		want := uuid.NewSHA1(replyNamespace, []byte(c[0]+"\x00"+c[1])).String()
		if got := replyID(c[0], c[1]); got != want {
			t.Errorf("replyID(%q, %q) = %s, want %s", c[0], c[1], got, want)
		}
	}
}
