"""The Uploads page: the upload queue, moderation, the key and upload settings dialogs."""
