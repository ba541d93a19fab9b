-- A session cannot have two messages at the same position.
BEGIN;

CREATE UNIQUE INDEX IF NOT EXISTS uq_conversation_messages_session_id_message_order
  ON conversation_messages (session_id, message_order);

COMMIT;
