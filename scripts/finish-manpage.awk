# Finishes the man page swift-argument-parser's generate-manual writes (`make man`):
# blank lines in command discussions become paragraph breaks (.Pp), which mdoc wants, and
# the sections the parser cannot know come from the file `extra` (scripts/earshot-man-sections.mdoc):
# the ones before its SEE ALSO go in before EXIT STATUS, SEE ALSO goes last.
# Usage: awk -v extra=FILE -f scripts/finish-manpage.awk GENERATED.1 > docs/earshot.1
BEGIN {
    while ((getline line < extra) > 0) {
        if (line ~ /^\.Sh "SEE ALSO"/) last = 1
        if (last) after = after line "\n"; else before = before line "\n"
    }
}
/^\.Sh "EXIT STATUS"/ { printf "%s", before }
/^$/ { print ".Pp"; next }
{ print }
END { printf "%s", after }
