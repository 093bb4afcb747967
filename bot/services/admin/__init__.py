"""`/fieldnotes`: the admin command grammar, permissions, the commands themselves, and the CSV export."""
