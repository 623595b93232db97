// The preferences form's choices, each marked with the shopper's current one.
import { PAGE_SIZES, type Prefs, SORTS, THEMES, VIEWS } from '../../session/data.js';

const SORT_LABELS: Record<Prefs['sort'], string> = {
  featured: 'Featured',
  'price-asc': 'Price: low to high',
  'price-desc': 'Price: high to low',
  name: 'Name',
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function choices<T extends string | number>(values: readonly T[], current: T, label: (v: T) => string) {
  return values.map((value) => ({ value, label: label(value), selected: value === current }));
}

/** `sort` is the one in effect: the URL's ?sort= if given, else the saved preference. */
export function prefsChoices(prefs: Prefs, sort: Prefs['sort']) {
  return {
    sort: choices(SORTS, sort, (s) => SORT_LABELS[s]),
    view: choices(VIEWS, prefs.view, capitalize),
    pageSize: choices(PAGE_SIZES, prefs.pageSize, String),
    theme: choices(THEMES, prefs.theme, capitalize),
  };
}

export { capitalize };
