// The account routes (admin only).
import { api } from '@/components/auth/api';
import type { Role } from '@/lib/roles';

export interface UserView {
  name: string;
  role: Role;
  createdAt: number;
  passwordChangedAt: number;
}

const userPath = (name: string) => `/api/v1/users/${encodeURIComponent(name)}`;

export const listUsers = () => api<{ users: UserView[] }>('/api/v1/users');
export const addUser = (body: { name: string; password: string; role: Role }) =>
  api<{ user: UserView }>('/api/v1/users', { method: 'POST', body });
export const changeUser = (name: string, patch: { role?: Role; password?: string }) =>
  api<{ user: UserView }>(userPath(name), { method: 'PATCH', body: patch });
export const removeUser = (name: string) => api<null>(userPath(name), { method: 'DELETE' });
