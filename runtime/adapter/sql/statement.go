package sql

import (
	"fmt"
	"strings"
)

// checkQuery accepts exactly one SELECT or WITH statement (optionally in parentheses,
// after comments, with trailing semicolons) and returns it without the trailing
// semicolons. It is the first of four fences around a user's sql_query: the query also
// runs through the extended protocol, where PostgreSQL itself refuses a second statement,
// in a READ ONLY transaction (which refuses data-modifying WITH clauses, SELECT … INTO,
// FOR UPDATE, nextval), and that transaction is rolled back, never committed (so what a
// function writes regardless, such as a superuser's lo_import, does not stay). What
// remains possible — reading whatever the database user may read — is what hetida's query
// source offers by design; restrict the database user accordingly.
//
// The scan knows PostgreSQL's lexical structure where a ';' may hide: single-quoted
// strings (doubled quotes, backslash escapes in E-strings), double-quoted identifiers,
// $tag$ dollar quotes, -- line comments and nested /* block comments */.
func checkQuery(q string) (string, error) {
	if strings.IndexByte(q, 0) >= 0 {
		// the protocol ends strings at NUL: what follows would not be what was checked
		return "", fmt.Errorf("the query contains a NUL byte")
	}
	first := ""
	end := -1 // position of the first ';' outside quotes and comments
	for i := 0; i < len(q) && end < 0; {
		c := q[i]
		switch {
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				i = len(q)
			} else {
				i += j + 1
			}
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			depth := 0
			j := i
			for j < len(q) {
				if strings.HasPrefix(q[j:], "/*") {
					depth++
					j += 2
				} else if strings.HasPrefix(q[j:], "*/") {
					depth--
					j += 2
					if depth == 0 {
						break
					}
				} else {
					j++
				}
			}
			if depth != 0 {
				return "", fmt.Errorf("the query has an unterminated /* comment")
			}
			i = j
		case c == '\'':
			escapes := i > 0 && (q[i-1] == 'E' || q[i-1] == 'e') && (i < 2 || !isIdent(q[i-2]))
			j := i + 1
			for ; j < len(q); j++ {
				if escapes && q[j] == '\\' {
					j++
					continue
				}
				if q[j] == '\'' {
					if j+1 < len(q) && q[j+1] == '\'' {
						j++
						continue
					}
					break
				}
			}
			if j >= len(q) {
				return "", fmt.Errorf("the query has an unterminated string")
			}
			i = j + 1
		case c == '"':
			j := i + 1
			for ; j < len(q); j++ {
				if q[j] == '"' {
					if j+1 < len(q) && q[j+1] == '"' {
						j++
						continue
					}
					break
				}
			}
			if j >= len(q) {
				return "", fmt.Errorf("the query has an unterminated quoted identifier")
			}
			i = j + 1
		case c == '$' && (i == 0 || !isIdent(q[i-1])):
			tag, ok := dollarTag(q[i:])
			if !ok { // a parameter such as $1, or an operator
				i++
				continue
			}
			j := strings.Index(q[i+len(tag):], tag)
			if j < 0 {
				return "", fmt.Errorf("the query has an unterminated dollar-quoted string")
			}
			i += len(tag) + j + len(tag)
		case c == ';':
			end = i
		case isIdentStart(c):
			j := i
			for j < len(q) && isIdent(q[j]) {
				j++
			}
			if first == "" {
				first = strings.ToUpper(q[i:j])
			}
			i = j
		default:
			i++
		}
	}
	if first != "SELECT" && first != "WITH" {
		if first == "" {
			return "", fmt.Errorf("the query is empty")
		}
		return "", fmt.Errorf("only a SELECT or WITH statement is allowed, not %s", first)
	}
	if end < 0 {
		return q, nil
	}
	rest := strings.TrimLeft(q[end:], "; \t\r\n")
	if rest != "" {
		return "", fmt.Errorf("only one statement is allowed")
	}
	return q[:end], nil
}

// dollarTag returns the opening $tag$ (or $$) at the start of s.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '$':
			return s[:j+1], true
		case j == 1 && isIdentStart(c), j > 1 && isIdent(c):
		default:
			return "", false
		}
	}
	return "", false
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdent(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' || c == '$' }
