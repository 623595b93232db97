// The Lua scripts of the Redis session lock (redis-lock.ts) and of the session store in
// front of it (fenced-store.ts). Each runs as one step in Redis: what it checks cannot
// change before what it does.

// Redis's clock, in epoch ms, as `nowMs`: the scripts below that may arrive too late to act
// compare it with the deadline their caller gave them.
const NOW_MS = `local time = redis.call("time")
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
`;

// Deletes the key only if it still holds our token: never frees someone else's lock.
export const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
// SET NX with a lease, and when it is ours, the session it guards (ARGV[3]) read in the same
// step: { 1, value or nil } taken, { 0 } held by someone else. One round trip, not two.
// The session's key is an argument, not a KEYS entry: Redis's ACL takes every declared key
// of a script as written, and a user that may only read sessions would be refused the
// lock; the GET itself is still checked against the ACL. (Not for Redis Cluster as it is:
// there the two keys would need one hash tag, and both would be declared.)
export const TAKE_AND_READ = `if redis.call("set", KEYS[1], ARGV[1], "NX", "PX", ARGV[2]) then
return { 1, redis.call("get", ARGV[3]) }
end
return { 0 }`;
// Extends the lease only if the lock is still ours: 1 held, 0 lost.
export const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;
// RENEW, and while the lock is ours, the write too (KEYS[2] = ARGV[3], expiring in ARGV[4] s),
// unless it runs after ARGV[5] (epoch ms, by Redis's clock): its caller has given up on it by
// then and answered "not saved", which must stay true. 1 written, 0 lock lost, -1 too late.
// Late but already holding ARGV[3] is written: the same script sent again, as node-redis does
// when the primary died before answering, finds its first run's write (kept by the replica).
// With ARGV[6] = "1", a write answers { 1, what KEYS[2] held before (nil: nothing), its PTTL }
// instead of 1: what UNDO_FENCED needs to put it back.
export const WRITE_FENCED = `${NOW_MS}if nowMs > tonumber(ARGV[5]) and redis.call("get", KEYS[2]) ~= ARGV[3] then return -1 end
if redis.call("get", KEYS[1]) ~= ARGV[1] then return 0 end
redis.call("pexpire", KEYS[1], ARGV[2])
local before = ARGV[6] == "1" and { 1, redis.call("get", KEYS[2]), redis.call("pttl", KEYS[2]) }
redis.call("set", KEYS[2], ARGV[3], "EX", ARGV[4])
return before or 1`;
// Puts KEYS[2] back as WRITE_FENCED found it (ARGV[2]: its value, or "" for nothing; ARGV[3]:
// its PTTL, -1 for none), while the lock KEYS[1] is still ours (ARGV[1]) and KEYS[2] still
// holds the write being undone (ARGV[4]). An undo that arrives late (sent again after a lost
// answer, or after its caller gave up) finds a newer write there and leaves it: 2.
// 1 done, 0 lock lost.
export const UNDO_FENCED = `if redis.call("get", KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call("get", KEYS[2]) ~= ARGV[4] then return 2 end
if ARGV[2] == "" then redis.call("del", KEYS[2])
elseif tonumber(ARGV[3]) > 0 then redis.call("set", KEYS[2], ARGV[2], "PX", ARGV[3])
else redis.call("set", KEYS[2], ARGV[2]) end
return 1`;
// Deletes KEYS[1] unless it runs after ARGV[1] (epoch ms, by Redis's clock): by then its
// caller has given up and answered 503, and a refused login must keep the guest's cart, a
// refused logout the member's session. It arrives that late when it waited for a primary
// (node-redis holds a command through a failover, or sends it again after one) or behind a
// hung one. 1 deleted (or nothing was there), -1 too late.
export const DESTROY_IN_TIME = `${NOW_MS}if nowMs > tonumber(ARGV[1]) then return -1 end
redis.call("del", KEYS[1])
return 1`;
