curl -X DELETE https://api.scriptix.io/api/v3/speech-to-text/session/sess_abc123/document/doc_xyz789/comments/comment_456 \
-H "Authorization: Bearer YOUR_API_KEY"
