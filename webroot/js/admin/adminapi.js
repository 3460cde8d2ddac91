// The administration API (docs/api.md, "Administration") over the client's own REST helper:
// the same session, the same refresh-and-retry, the same error objects.

import { get, post, put, del } from '../api.js';

const enc = encodeURIComponent;

export const listUsers = (q, cursor) => get('api/admin/users', { q, cursor, limit: 50 });
export const disableUser = async (id) => (await post(`api/admin/users/${enc(id)}/disable`)).user;
export const enableUser = async (id) => (await post(`api/admin/users/${enc(id)}/enable`)).user;
export const resetPassword = (id) => post(`api/admin/users/${enc(id)}/password-reset`);
export const setAdmin = async (id, admin) => (await put(`api/admin/users/${enc(id)}/admin`, { admin })).user;

export const getSettings = () => get('api/admin/settings');
export const putSettings = (settings) => put('api/admin/settings', settings);

export const createInvitation = (maxUses, expiresInHours) => post('api/admin/invitations', { maxUses, expiresInHours });
export const listInvitations = async () => (await get('api/admin/invitations'))?.invitations || [];
export const revokeInvitation = (id) => del(`api/admin/invitations/${enc(id)}`);

export const listConversations = (q, cursor) => get('api/admin/conversations', { q, cursor, limit: 50 });

export const listBots = async () => (await get('api/admin/bots'))?.bots || [];
export const revokeBot = (id) => del(`api/admin/bots/${enc(id)}`);

export const listShares = (cursor) => get('api/admin/shares', { cursor, limit: 50 });
export const revokeShare = (id) => del(`api/admin/shares/${enc(id)}`);

export const getServer = () => get('api/admin/server');
export const backupNow = async () => (await post('api/admin/backups')).backup;

export const listAudit = (action, cursor) => get('api/admin/audit', { action, cursor, limit: 50 });

/** A person's public profile, to name the creator of a share or an invitation. */
export const getUser = async (id) => (await get(`api/users/${enc(id)}`)).user;
