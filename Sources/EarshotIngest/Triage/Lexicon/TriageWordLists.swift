/// The words and phrases triage looks for, by cue and language. Entries are written
/// lowercase except where a capital reads better in a reason ("how do I"); matching is
/// case-insensitive either way. Latin-script entries match whole words (a phrase is a run of
/// words); entries in Japanese or made of emoji match as substrings. Apostrophes split words,
/// so "can't" covers "can’t" too, but "cant" (no apostrophe) is its own entry.
///
/// The lists are data: docs/triage.md summarises them, `TriageLexiconTests` checks that no
/// phrase sits in two lists with different meanings.
enum TriageWordLists {
    typealias Lists = [(TriageLanguage, [String])]
}
