// What composition produces besides pieces: each trait placed in an agent, and why it is there.
import type { Point } from '../model/source.js'
import type { Resolution } from '../resolve/lookup.js'

/** Why a trait is in an agent. */
export type PlacementReason =
  | {
      /** Imported by the agent. */
      kind: 'import'
      /** In this group. */
      group: string
    }
  | {
      /** A dependency of another placed trait. */
      kind: 'dependency'
      /** That trait's id. */
      of: string
    }
  | {
      /** Included by an `@include` comment. */
      kind: 'include'
      /** The file the comment is in. */
      by: string
    }

/** One trait (or trait section) placed in an agent. */
export interface Placement {
  /** The group it is placed in (`''` for includes and API calls). */
  group: string
  /** The trait, and the section when the ref named one. */
  resolution: Resolution
  /** Why it is placed. */
  reason: PlacementReason
  /** The file where the import (or include) that brought it in is written. */
  file: string
  /** Where in that file. */
  place: Point
}

/** Where an include or import is written, and the traits being included around it (for cycles). */
export interface PlacementOrigin {
  /** The file the ref is written in. */
  file: string
  /** Where in that file. */
  place: Point
  /** Ids of the traits being included around this place, outermost first. */
  stack: readonly string[]
}
