// Command oracle reads image references with Docker's own parser
// (github.com/docker/distribution/reference, Debian's distribution 2.8.2), for
// tests/it/oracle.rs to compare with imagetag's reading in every mode.
//
// Input: one name per line on stdin. Output: one line per name, 19
// tab-separated columns, absent values empty:
//
//	strict (Parse):                     status domain path tag digest string familiar
//	normalized (ParseNormalizedNamed):  status domain path tag digest string familiar
//	any (ParseAnyReference):            status string        (status "digest" for a bare digest)
//	canonical (ParseNamed):             status string
//	pull (ParseDockerRef):              status string
//
// status is "ok" or the error's kind: empty, uppercase, toolong, identifier,
// unsupported, notcanonical, syntax. Build it with GOPATH=/usr/share/gocode
// GO111MODULE=off go build (no network).
package main

import (
	"bufio"
	_ "crypto/sha256" // go-digest needs the hashes linked in, as Docker links them
	_ "crypto/sha512"
	"errors"
	"os"
	"strings"

	"github.com/docker/distribution/reference"
	"github.com/opencontainers/go-digest"
)

func kind(err error) string {
	switch {
	case errors.Is(err, reference.ErrNameEmpty):
		return "empty"
	case errors.Is(err, reference.ErrNameContainsUppercase):
		return "uppercase"
	case errors.Is(err, reference.ErrNameTooLong):
		return "toolong"
	case errors.Is(err, reference.ErrNameNotCanonical):
		return "notcanonical"
	case errors.Is(err, digest.ErrDigestUnsupported):
		return "unsupported"
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "cannot specify 64-byte hexadecimal strings"):
		return "identifier"
	case strings.Contains(msg, "must be lowercase"):
		return "uppercase"
	}
	return "syntax"
}

func named(w *bufio.Writer, r reference.Reference, err error) {
	if err != nil {
		w.WriteString(kind(err) + "\t\t\t\t\t\t")
		return
	}
	n, ok := r.(reference.Named)
	if !ok {
		w.WriteString("syntax\t\t\t\t\t\t")
		return
	}
	var tag, dgst string
	if t, ok := r.(reference.Tagged); ok {
		tag = t.Tag()
	}
	if d, ok := r.(reference.Digested); ok {
		dgst = d.Digest().String()
	}
	w.WriteString(strings.Join([]string{"ok", reference.Domain(n), reference.Path(n),
		tag, dgst, n.String(), reference.FamiliarString(n)}, "\t"))
}

func short(w *bufio.Writer, r reference.Reference, err error) {
	switch {
	case err != nil:
		w.WriteString(kind(err) + "\t")
	default:
		if _, ok := r.(reference.Named); ok {
			w.WriteString("ok\t" + r.String())
		} else {
			w.WriteString("digest\t" + r.String())
		}
	}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	for in.Scan() {
		s := in.Text()
		r, err := reference.Parse(s)
		named(out, r, err)
		out.WriteByte('\t')
		n, err := reference.ParseNormalizedNamed(s)
		named(out, n, err)
		out.WriteByte('\t')
		a, err := reference.ParseAnyReference(s)
		short(out, a, err)
		out.WriteByte('\t')
		c, err := reference.ParseNamed(s)
		short(out, c, err)
		out.WriteByte('\t')
		p, err := reference.ParseDockerRef(s)
		short(out, p, err)
		out.WriteByte('\n')
	}
	if err := in.Err(); err != nil {
		os.Stderr.WriteString("oracle: " + err.Error() + "\n")
		os.Exit(1)
	}
}
