// Source edits: the only changes traitgen makes to a block's text (a range of the file replaced by new text).

/** Replace the file's text [start, end) with `text`. */
export interface Edit {
  start: number
  end: number
  text: string
}
