//go:build !race

package library

const raceSlowdown = 1
