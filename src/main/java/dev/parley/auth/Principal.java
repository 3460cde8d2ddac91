package dev.parley.auth;

/**
 * Who a verified token speaks for: the user, and for a person's access token the refresh-token
 * family (one sign-in on one device) it was issued under, so that signing out there can end that
 * device's open streams and no other, and when the token expires (epoch ms). {@code familyId} is
 * null and {@code expiresAt} 0 for a bot's token, which does not expire.
 */
public record Principal(String userId, String familyId, long expiresAt) {
}
