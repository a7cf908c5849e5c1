-- how a row left pending by an earlier run was settled
ALTER TABLE audit ADD COLUMN note TEXT;
CREATE INDEX audit_pending ON audit(director, id) WHERE status = 'pending';
