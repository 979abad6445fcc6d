package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/data"
)

// cancelled reports the context's error every data.CheckEvery iterations of a loop over
// rows: the runtime's promise that a cancelled or timed-out execution stops within about
// ten thousand iterations.
func cancelled(ctx context.Context, i int) error {
	if i%data.CheckEvery == 0 {
		return ctx.Err()
	}
	return nil
}
