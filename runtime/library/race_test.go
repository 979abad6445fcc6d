//go:build race

package library

// raceSlowdown scales the cancellation test's notion of "long": the race detector makes
// loops several times slower.
const raceSlowdown = 10
