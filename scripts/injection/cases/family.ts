// A family of hand-written cases: templates with {slot} holes and the lists that fill them. A
// family is the unit of the train/val/test split, so no template is seen on both sides.

export interface Family {
  name: string;
  /** What the family exercises (a report groups figures by it). */
  category: string;
  /** 1: an injection or jailbreak attempt; 0: benign. */
  label: 0 | 1;
  /** True for benign families that look like attacks (the "hard benign" false-positive figure). */
  hard?: boolean;
  templates: string[];
  slots: Record<string, string[]>;
  /** Cases to draw (fewer when the templates and slots cannot make that many distinct texts). */
  count: number;
}

export const family = (f: Family): Family => f;
