INSERT INTO item (a1, e) VALUES (1, 5), (2, NULL);
INSERT INTO item_archived (a1, e, archived_at) VALUES (3, 7, '2026-01-01');
INSERT INTO stamped (created_at) VALUES ('2026-01-01');
