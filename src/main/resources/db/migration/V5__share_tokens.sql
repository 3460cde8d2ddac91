-- The contract lists shares with their token and url, so the token is kept beside its hash for
-- the members who may list the share (its creator, a group's owner and admins). Lookups of a
-- presented token still go by hash, so a guess is compared with nothing secret. Shares made
-- before this migration have no token here and are listed without one.
ALTER TABLE shares ADD COLUMN token TEXT;
