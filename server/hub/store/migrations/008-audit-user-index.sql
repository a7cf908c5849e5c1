-- The newest row of one user on a director (where the copy of an agent's health journal resumes) without a scan.
CREATE INDEX audit_director_user ON audit(director, user, time);
