// Source edits: the only changes traitgen makes to a block's text (a range of the file replaced by new text).

/** Replace the file's text [start, end) with `text`. */
export interface Edit {
  /** Offset in the file's text where the replaced range starts. */
  start: number
  /** Offset where it ends (exclusive). */
  end: number
  /** The new text. */
  text: string
}
