"""Text helpers shared by the knowledge base and the analyzer."""
