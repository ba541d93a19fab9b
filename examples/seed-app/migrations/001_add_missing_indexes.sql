-- Missing B-tree, composite and partial indexes for the hot lookups.
CREATE INDEX IF NOT EXISTS idx_conversation_messages_session_id
  ON conversation_messages (session_id);

CREATE INDEX IF NOT EXISTS idx_lesson_sessions_user_id_lesson_id
  ON lesson_sessions (user_id, lesson_id);

CREATE INDEX IF NOT EXISTS idx_conversation_sessions_active_user_id
  ON conversation_sessions (user_id)
  WHERE status = 'active';

-- conversation_interactions does not exist everywhere yet: index it only where it does.
DO $$
BEGIN
  IF to_regclass('conversation_interactions') IS NOT NULL THEN
    CREATE INDEX IF NOT EXISTS idx_conversation_interactions_session_id
      ON conversation_interactions (session_id);
  END IF;
END
$$;
