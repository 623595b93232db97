// Everything a shopper reads about their account: the greetings (a new member is
// welcomed, a returning one welcomed back) and why a login or a sign-up was refused.
// The wording lives here alone.

export const accountMessages = {
  /** The account page's heading. */
  greeting: (username: string, newMember: boolean) =>
    newMember ? `Welcome, ${username}` : `Welcome back, ${username}`,
  /** The flash on the page a login goes on to, when that page does not greet by name itself. */
  welcomeBack: (username: string) => `Welcome back, ${username}!`,
  accountReady: 'Your account is ready.',
  /** The flash after registering, on a page that does not greet by name itself. */
  welcomeNew: (username: string) => `Welcome, ${username}! Your account is ready.`,
  // One message for a wrong password and an unknown user: it must not reveal who has an account.
  invalidCredentials: 'Invalid username or password',
  usernameTaken: 'username: that name is taken, please pick another',
};
