"""crosscount: attributed, cross-checked figures from conflict and crisis reports."""
from .corpus import Corpus
from .model import Analysis, Citation, Comment, Document, Figure, Place, Problem, TimeRef
from .pipeline import analyze
from .settings import Settings

__version__ = "0.1.0"
__all__ = ["Analysis", "Corpus", "Citation", "Comment", "Document", "Figure", "Place", "Problem",
           "Settings", "TimeRef", "analyze", "__version__"]
