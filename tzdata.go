package main

// The IANA time zone database is compiled in (about 450 KB), so that named zones work in
// minimal container images without /usr/share/zoneinfo.
import _ "time/tzdata"
