// A clock for the app that a test moves by hand: a login's idle or absolute timeout
// passes in one call, with no waiting and no race against the real one.
export class FakeClock {
  private at: number;

  constructor(start = Date.now()) {
    this.at = start;
  }

  /** Pass this to makeShop({ now }). An arrow: it is handed around unbound. */
  readonly now = (): number => this.at;

  advance(ms: number): void {
    this.at += ms;
  }
}
